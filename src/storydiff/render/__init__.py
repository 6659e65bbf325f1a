"""storydiff.render"""
